import { redirect } from 'next/navigation';
import { requireActor } from '@/server/session';

export default async function Home() {
  await requireActor();
  redirect('/questions');
}
