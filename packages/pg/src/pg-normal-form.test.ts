import { schema } from "@better-auth/migrate-core";
import { describe, expect, it } from "vitest";
import { describeView } from "./pg-describe.js";
import { normalCheck, normalDefault, normalIndexKey, normalType, normalViewQuery, routineDefinition, routineReturnType } from "./pg-normal-form.js";

describe("PostgreSQL normal form", () => {
  it("spells types short, as the renderer writes them", () => {
    expect(normalType("character varying(255)")).toBe("varchar(255)");
    expect(normalType("character varying")).toBe("varchar");
    expect(normalType("character varying(64)[]")).toBe("varchar(64)[]");
    expect(normalType("character(2)")).toBe("char(2)");
    expect(normalType("timestamp with time zone")).toBe("timestamptz");
    expect(normalType("timestamp(3) with time zone")).toBe("timestamptz(3)");
    expect(normalType("timestamp without time zone")).toBe("timestamp");
    for (const same of ["integer", "boolean", "jsonb", "json", "inet", "text", "uuid", "bigint"]) expect(normalType(same)).toBe(same);
  });

  it("takes the catalog's casts off defaults", () => {
    expect(normalDefault("'member'::text")).toBe("'member'");
    expect(normalDefault("'member'::character varying")).toBe("'member'");
    expect(normalDefault("('member'::character varying)::text")).toBe("'member'");
    expect(normalDefault("'it''s'::text")).toBe("'it''s'");
    expect(normalDefault("'{}'::jsonb")).toBe("'{}'");
    expect(normalDefault("'{}'::json")).toBe("'{}'");
    // jsonb prints its keys in its own order and with spaces; JSON.stringify in the model's.
    expect(normalDefault(`'{"tags": [], "theme": "dark"}'::jsonb`)).toBe(normalDefault(`'{"theme":"dark","tags":[]}'::jsonb`));
    expect(normalDefault("'-1'::integer")).toBe("-1");
    expect(normalDefault("-1")).toBe("-1");
    expect(normalDefault("now()")).toBe("now()");
    expect(normalDefault("CURRENT_TIMESTAMP")).toBe("now()");
    expect(normalDefault("false")).toBe("false");
    expect(normalDefault("gen_random_uuid()")).toBe("gen_random_uuid()");
    expect(normalDefault(null)).toBeNull();
  });

  it("gives an allowed-values check one spelling on text and varchar columns", () => {
    const expected = "status in ('pending','accepted','rejected','canceled')";
    expect(normalCheck("CHECK (status = ANY (ARRAY['pending'::text, 'accepted'::text, 'rejected'::text, 'canceled'::text]))")).toBe(expected);
    expect(
      normalCheck(
        "CHECK (status::text = ANY (ARRAY['pending'::character varying, 'accepted'::character varying, 'rejected'::character varying, 'canceled'::character varying]::text[]))",
      ),
    ).toBe(expected);
    expect(
      normalCheck(
        "CHECK (((status)::text = ANY ((ARRAY['pending'::character varying, 'accepted'::character varying, 'rejected'::character varying, 'canceled'::character varying])::text[])))",
      ),
    ).toBe(expected);
    expect(normalCheck(`CHECK ("Status" = ANY (ARRAY['a''b'::text]))`)).toBe("Status in ('a''b')");
    expect(normalCheck("CHECK (char_length(name) > 0)")).toBe("char_length(name) > 0");
  });

  it("reads pg_get_viewdef's text of our view as our rendered text", () => {
    const catalog = ` SELECT s.id,
    s.user_id,
    s.token,
    s.expires_at,
    s.created_at,
    s.ip_address,
    s.user_agent,
    u.email,
    u.name
   FROM sessions s
     JOIN users u ON u.id = s.user_id
  WHERE s.active AND s.expires_at > now();`;
    expect(describeView(schema.activeSessions).definition).toBe(
      "select s.id, s.user_id, s.token, s.expires_at, s.created_at, s.ip_address, s.user_agent, u.email, u.name " +
        "from sessions s join users u on u.id = s.user_id where s.active and s.expires_at > now()",
    );
    expect(normalViewQuery(catalog)).toBe(describeView(schema.activeSessions).definition);
    // The catalog's own parentheses (pg_get_viewdef without pretty printing) do not count.
    expect(normalViewQuery("SELECT s.id FROM (sessions s JOIN users u ON ((u.id = s.user_id))) WHERE (s.active AND (s.expires_at > now()))")).toBe(
      "select s.id from sessions s join users u on u.id = s.user_id where s.active and s.expires_at > now()",
    );
    expect(normalViewQuery(catalog.replace("WHERE s.active AND", "WHERE"))).not.toBe(describeView(schema.activeSessions).definition);
    // Issue 20, item 5: a cast that changes a value keeps the view apart from ours; one between string types does not.
    expect(normalViewQuery(catalog.replace("> now()", "> now()::date"))).not.toBe(describeView(schema.activeSessions).definition);
    expect(normalViewQuery(catalog.replace("u.id = s.user_id", "u.id::text = s.user_id::character varying(255)::text"))).toBe(describeView(schema.activeSessions).definition);
  });

  it("keeps a routine's body, collapsing whitespace only", () => {
    const a = routineDefinition("integer", "SQL", "\nSELECT  1\n  FROM \"public\".\"t\";\n");
    expect(a).toBe(`returns integer language sql as SELECT 1 FROM "public"."t"`);
    expect(routineDefinition("integer", "sql", "SELECT 1 FROM t")).not.toBe(a);
    expect(routineReturnType(routineDefinition("void", "plpgsql", "BEGIN END"))).toBe("void");
  });

  it("unquotes index keys that are columns", () => {
    expect(normalIndexKey(`"Weird ""name"""`)).toBe(`Weird "name"`);
    expect(normalIndexKey("lower((email)::text)")).toBe("lower((email)::text)");
  });
});
