/**
 * A problem with the configuration that stops the run before any file is read.
 *
 * `where` names the place (`waymark.config.json: hosts["github.com"].concurrency`,
 * `waymark.config.json:3:5`, or a path given on the command line) and `message` says the rest,
 * so the CLI prints one line, `waymark: ${where}: ${message}`, and never a stack trace.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** The config file, key path or position the problem is at. */
  readonly where: string;

  /** Creates an error at `where`; `cause` keeps the underlying error, if any. */
  constructor(where: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.where = where;
  }
}
