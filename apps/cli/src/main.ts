import 'reflect-metadata';
import { run } from './cli';
import { processIo } from './cli-io';

void run(process.argv.slice(2), processIo).then((code) => {
  process.exitCode = code;
});
