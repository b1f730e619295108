export function Brand({ large = false }: { large?: boolean }) {
  return (
    <span className={large ? 'brand brand-large' : 'brand'}>
      <span className="brand-mark" aria-hidden="true">
        T
      </span>
      Tidings
    </span>
  );
}
