import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** The kernel's range for the local ports of outgoing connections (Linux default 32768–60999). */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/).map(Number);
    if (low && high) return [low, high];
  } catch {
    // not Linux: assume the default
  }
  return [32768, 60999];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * A free port on 127.0.0.1 below the kernel's ephemeral range, for a server that is killed and
 * started again on the same port. freePort() hands out ports from the ephemeral range: once such a
 * server is gone, the kernel may give its port to an outgoing connection (for example a cluster peer
 * reconnecting to it), and the restarted server then fails with "Address already in use".
 */
export async function freeStablePort(taken: ReadonlySet<number> = new Set()): Promise<number> {
  const [low] = ephemeralRange();
  const from = Math.max(1024, low - 12_000);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = from + Math.floor(Math.random() * (low - from));
    if (!taken.has(port) && (await canListen(port))) return port;
  }
  throw new Error(`no free port found between ${from} and ${low - 1} on 127.0.0.1`);
}
