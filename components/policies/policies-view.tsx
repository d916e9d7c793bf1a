import type { Policies } from '@/lib/connectors/schema';
import { mutedText } from '@/components/ui/styles';
import { describePolicy, policyFields } from './policy-fields';

/** The connector's policies, read-only. */
export function PoliciesView({ policies }: { policies: Policies }) {
  return (
    <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-2" data-testid="policies-view">
      {policyFields.map((field) => (
        <div key={field.key}>
          <dt className={`text-xs font-medium ${mutedText}`} title={field.help}>
            {field.label}
          </dt>
          <dd className="font-medium">{describePolicy(field, policies[field.key])}</dd>
        </div>
      ))}
    </dl>
  );
}
