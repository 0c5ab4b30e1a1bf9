ALTER TABLE "forecasts" ADD COLUMN "reaffirmation" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "extremising_alpha" double precision DEFAULT 1.5 NOT NULL;