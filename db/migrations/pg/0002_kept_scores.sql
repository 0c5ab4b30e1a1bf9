CREATE TABLE "counters" (
	"name" text PRIMARY KEY NOT NULL,
	"value" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forecaster_scores" (
	"question_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"time_averaged_brier" double precision,
	"coverage" double precision NOT NULL,
	"relative_brier" double precision,
	"final_brier" double precision,
	"log_score" double precision,
	"normalised_log_score" double precision,
	"forecast_count" integer NOT NULL,
	CONSTRAINT "forecaster_scores_question_id_user_id_pk" PRIMARY KEY("question_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "questions" ADD COLUMN "scored_version" integer;--> statement-breakpoint
ALTER TABLE "forecaster_scores" ADD CONSTRAINT "forecaster_scores_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecaster_scores" ADD CONSTRAINT "forecaster_scores_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "forecaster_scores_user_idx" ON "forecaster_scores" USING btree ("user_id");