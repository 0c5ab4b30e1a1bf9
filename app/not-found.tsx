import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="card narrow">
      <h1>Not found</h1>
      <p>That page or question does not exist, or you do not have access to it.</p>
      <Link href="/questions">Back to the questions</Link>
    </div>
  );
}
