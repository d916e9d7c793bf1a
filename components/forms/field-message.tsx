/** A field's error under its input; the input points at it with aria-describedby. */
export function FieldMessage({ id, message, testId }: { id: string; message: string | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p id={id} data-testid={testId} className="mt-1 text-xs font-medium text-red-700 dark:text-red-300">
      <span aria-hidden="true">✕ </span>
      {message}
    </p>
  );
}

/** Attributes for an input that may have an error shown by {@link FieldMessage}. */
export const invalidProps = (id: string, message: string | undefined) =>
  message ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};
