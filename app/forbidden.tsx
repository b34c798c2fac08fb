import Link from "next/link";


export default function Forbidden() {
  return (
    <div className="mx-auto max-w-md space-y-4 text-center">
      <h1 className="text-2xl font-semibold">You don&apos;t have access to that page</h1>
      <p className="text-slate-600">This area is for administrators. If you think you should have access, ask an admin.</p>
      <Link href="/wallet" className="inline-block rounded bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-700">Back to your wallet</Link>
    </div>
  );
}
