import type { Command } from '../command.ts';
import { storePin } from './config-set.node.ts';
import { dataDirOf } from './enroll.node.ts';

/**
 * `kioskctl officer-pin set [PIN]`: stores the officer desk PIN (scrypt) in the kiosk database;
 * the same as `kioskctl config set officerPin PIN`, except that without PIN on the command line it
 * is read from the first line of stdin, so it stays out of the shell history.
 */
export const officerPinCommand: Command = {
  name: 'officer-pin',
  summary: 'set the officer desk PIN (6–12 digits; the desk stays shut until one is set)',
  usage: 'kioskctl officer-pin set [PIN]   (PIN from stdin when omitted)',
  async run(args, io) {
    const [verb, given, ...extra] = args;
    if (verb !== 'set' || extra.length) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    return storePin(dataDirOf(io.env), 'officer', (given ?? (await readLine())).trim(), io);
  },
};

function readLine(): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => {
      text += d;
      if (text.includes('\n')) {
        process.stdin.pause();
        resolve(text.split('\n')[0]!);
      }
    });
    process.stdin.on('end', () => resolve(text));
  });
}
