"use client";

import Link from "next/link";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { signUpAction } from "./actions";

export function SignUpForm() {
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const values = Object.fromEntries(new FormData(e.currentTarget)) as Record<string, string>;
    setPending(true);
    setError(null);
    const result = await signUpAction(values);
    if (!result.ok) {
      setPending(false);
      setError(result.error);
      setFieldErrors(result.fieldErrors ?? {});
      return;
    }
    await signIn("credentials", { email: values.email, password: values.password, redirect: false });
    // A full navigation, as after signing in: the next page must render with the new session.
    window.location.assign("/settings/integrations");
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate>
      <div>
        <h1 className="text-xl font-semibold">Create your account</h1>
        <p className="mt-1 text-sm text-slate-500">Start keeping the customers who try to leave.</p>
      </div>
      {error ? <Notice tone="error">{error}</Notice> : null}
      <Field label="Company name" error={fieldErrors.accountName}>
        <Input name="accountName" autoComplete="organization" required />
      </Field>
      <Field label="Your name" error={fieldErrors.name}>
        <Input name="name" autoComplete="name" required />
      </Field>
      <Field label="Work email" error={fieldErrors.email}>
        <Input name="email" type="email" autoComplete="email" required />
      </Field>
      <Field label="Password" hint="At least 8 characters." error={fieldErrors.password}>
        <Input name="password" type="password" autoComplete="new-password" required />
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-slate-500">
        Already have an account?{" "}
        <Link className="font-medium text-brand-600 hover:text-brand-700" href="/sign-in">
          Sign in
        </Link>
      </p>
    </form>
  );
}
