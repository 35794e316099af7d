// A refusal shown where it happened, above the form's button, in the desk's language.
import { Alert } from 'antd';

export function FormError({ error, testId }: { error: string | undefined; testId: string }) {
  if (!error) return null;
  return (
    <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid={testId} />
  );
}
