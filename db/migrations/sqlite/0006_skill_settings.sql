ALTER TABLE `questions` ADD `skill_prior_count` real DEFAULT 20 NOT NULL;--> statement-breakpoint
ALTER TABLE `questions` ADD `skill_temperature` real DEFAULT 0.05 NOT NULL;