ALTER TABLE `forecasts` ADD `reaffirmation` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `questions` ADD `extremising_alpha` real DEFAULT 1.5 NOT NULL;