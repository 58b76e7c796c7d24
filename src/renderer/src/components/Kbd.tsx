export function Kbd({ children }: { children: string }): React.JSX.Element {
  return <kbd className="kbd">{children}</kbd>;
}
