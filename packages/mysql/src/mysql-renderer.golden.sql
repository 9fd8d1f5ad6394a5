CREATE TABLE `users` (
  `id` VARCHAR(255) NOT NULL,
  `email` VARCHAR(255) NULL,
  `name` VARCHAR(255) NULL,
  `image` TEXT NULL,
  `email_verified` BOOLEAN NOT NULL DEFAULT FALSE,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  `metadata` JSON NOT NULL DEFAULT ('{}'),
  CONSTRAINT `users_pkey` PRIMARY KEY (`id`),
  CONSTRAINT `users_email_key` UNIQUE KEY (`email`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT = 'People who can sign in. Managed by Better Auth.';

CREATE TABLE `sessions` (
  `id` VARCHAR(255) NOT NULL,
  `user_id` VARCHAR(255) NOT NULL,
  `token` VARCHAR(255) NOT NULL,
  `expires_at` DATETIME(3) NOT NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `ip_address` VARCHAR(45) NULL,
  `user_agent` TEXT NULL,
  `active` BOOLEAN NOT NULL DEFAULT TRUE,
  CONSTRAINT `sessions_pkey` PRIMARY KEY (`id`),
  CONSTRAINT `sessions_token_key` UNIQUE KEY (`token`),
  INDEX `sessions_user_id_idx` (`user_id`),
  INDEX `sessions_expires_at_idx` (`expires_at`),
  CONSTRAINT `sessions_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT = 'Sign-in sessions, looked up by token on every request. Managed by Better Auth.';

CREATE TABLE `accounts` (
  `id` VARCHAR(255) NOT NULL,
  `user_id` VARCHAR(255) NOT NULL,
  `provider` VARCHAR(255) NOT NULL,
  `provider_account_id` VARCHAR(255) NOT NULL,
  `access_token` TEXT NULL,
  `refresh_token` TEXT NULL,
  `expires_at` DATETIME(3) NULL,
  `token_type` VARCHAR(255) NULL,
  `scope` TEXT NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT `accounts_pkey` PRIMARY KEY (`id`),
  CONSTRAINT `accounts_provider_provider_account_id_key` UNIQUE KEY (`provider`, `provider_account_id`),
  INDEX `accounts_user_id_idx` (`user_id`),
  CONSTRAINT `accounts_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT = 'OAuth accounts linked to a user. Managed by Better Auth.';

CREATE SQL SECURITY INVOKER VIEW `active_sessions` AS
SELECT `s`.`id`, `s`.`user_id`, `s`.`token`, `s`.`expires_at`, `s`.`created_at`, `s`.`ip_address`, `s`.`user_agent`, `u`.`email`, `u`.`name`
FROM `sessions` AS `s`
JOIN `users` AS `u` ON `u`.`id` = `s`.`user_id`
WHERE `s`.`active` = TRUE AND `s`.`expires_at` > UTC_TIMESTAMP(3);

CREATE TABLE `organization` (
  `id` VARCHAR(255) NOT NULL,
  `name` VARCHAR(255) NOT NULL,
  `slug` VARCHAR(255) NOT NULL,
  `logo` TEXT NULL,
  `metadata` JSON NOT NULL DEFAULT ('{}'),
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  `updated_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  CONSTRAINT `organization_pkey` PRIMARY KEY (`id`),
  CONSTRAINT `organization_slug_key` UNIQUE KEY (`slug`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT = 'Organizations (teams) that users belong to. Managed by Better Auth.';

CREATE TABLE `member` (
  `id` VARCHAR(255) NOT NULL,
  `organization_id` VARCHAR(255) NOT NULL,
  `user_id` VARCHAR(255) NOT NULL,
  `role` VARCHAR(255) NOT NULL DEFAULT 'member',
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT `member_pkey` PRIMARY KEY (`id`),
  CONSTRAINT `member_organization_id_user_id_key` UNIQUE KEY (`organization_id`, `user_id`),
  INDEX `member_user_id_idx` (`user_id`),
  CONSTRAINT `member_organization_id_fkey` FOREIGN KEY (`organization_id`) REFERENCES `organization` (`id`) ON DELETE CASCADE,
  CONSTRAINT `member_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT = 'Membership of a user in an organization, with a role. Managed by Better Auth.';

CREATE TABLE `invitation` (
  `id` VARCHAR(255) NOT NULL,
  `organization_id` VARCHAR(255) NOT NULL,
  `email` VARCHAR(255) NOT NULL,
  `role` VARCHAR(255) NOT NULL DEFAULT 'member',
  `status` VARCHAR(255) NOT NULL DEFAULT 'pending',
  `inviter_id` VARCHAR(255) NOT NULL,
  `expires_at` DATETIME(3) NOT NULL,
  `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  CONSTRAINT `invitation_pkey` PRIMARY KEY (`id`),
  INDEX `invitation_organization_id_idx` (`organization_id`),
  INDEX `invitation_email_idx` (`email`),
  INDEX `invitation_inviter_id_idx` (`inviter_id`),
  CONSTRAINT `invitation_organization_id_fkey` FOREIGN KEY (`organization_id`) REFERENCES `organization` (`id`) ON DELETE CASCADE,
  CONSTRAINT `invitation_inviter_id_fkey` FOREIGN KEY (`inviter_id`) REFERENCES `users` (`id`) ON DELETE CASCADE,
  CONSTRAINT `invitation_status_check` CHECK (`status` IN ('pending', 'accepted', 'rejected', 'canceled'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin COMMENT = 'Invitations to join an organization. Managed by Better Auth.';
