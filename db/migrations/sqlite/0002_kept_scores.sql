CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `forecaster_scores` (
	`question_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`time_averaged_brier` real,
	`coverage` real NOT NULL,
	`relative_brier` real,
	`final_brier` real,
	`log_score` real,
	`normalised_log_score` real,
	`forecast_count` integer NOT NULL,
	PRIMARY KEY(`question_id`, `user_id`),
	FOREIGN KEY (`question_id`) REFERENCES `questions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `forecaster_scores_user_idx` ON `forecaster_scores` (`user_id`);--> statement-breakpoint
ALTER TABLE `questions` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `questions` ADD `scored_version` integer;