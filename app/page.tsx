import { redirect } from 'next/navigation';
import { requireActor } from '@/lib/session';

export default async function Home() {
  await requireActor();
  redirect('/questions');
}
