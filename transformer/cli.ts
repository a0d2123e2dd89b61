// green-tsc: the command line (DESIGN.md "Build").
export async function main(_argv: string[]): Promise<number> {
  console.error('green-tsc: not built yet');
  return 1;
}
