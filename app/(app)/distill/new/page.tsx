import { DistillLaunchForm } from "@/components/distill/DistillLaunchForm";
import { requireUser } from "@/lib/auth/current-user";

export default async function NewDistillationPage() {
  await requireUser("distill:launch");
  return (
    <>
      <h1>New distillation</h1>
      <DistillLaunchForm />
    </>
  );
}
