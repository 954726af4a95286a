import { runCli } from './commands';
import { processIO } from './process-io';

/** `npm run kiosk -- <command>`: the process around controller/cli/commands.ts. */

// Exit explicitly: a command that leaves a serial port or timer open must not hang the shell.
runCli(process.argv.slice(2), processIO).then(
  (code) => setImmediate(() => process.exit(code)),
  (err: unknown) => {
    processIO.err(`kiosk: ${err instanceof Error ? err.message : String(err)}`);
    setImmediate(() => process.exit(1));
  },
);
