/**
 * A problem with the run's input (a flag, a path, a config file) that stops it with exit code 2.
 *
 * `where` names the place: a `file:line:col`, a config key path or a flag; the CLI prints
 * `waymark: <where>: <message>` on one line.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** The file, key path or flag the problem is in. */
  readonly where: string;

  constructor(where: string, message: string) {
    super(message);
    this.where = where;
  }
}
