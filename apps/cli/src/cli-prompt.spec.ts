import { PassThrough } from 'node:stream';
import type { CliIo } from './cli-io';
import { confirm } from './cli-prompt';

function terminal(): { io: CliIo; input: PassThrough; stderr: () => string } {
  let stderr = '';
  const input = Object.assign(new PassThrough(), { isTTY: true });
  return {
    io: { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, stdin: input },
    input,
    stderr: () => stderr,
  };
}

describe(confirm.name, () => {
  it.each(['y\n', 'Y\n', 'yes\n', ' YES \n'])('takes %j as yes', async (answer) => {
    const { io, input, stderr } = terminal();
    const sut = confirm(io, 'Restore 3 actions into tenant t? [y/N]');
    input.write(answer);

    await expect(sut).resolves.toBe(true);
    expect(stderr()).toBe('Restore 3 actions into tenant t? [y/N] ');
  });

  it.each(['\n', 'n\n', 'no\n', 'yep\n'])('takes %j as no', async (answer) => {
    const { io, input } = terminal();
    const sut = confirm(io, 'Go? [y/N]');
    input.write(answer);

    await expect(sut).resolves.toBe(false);
  });

  it('takes the end of input as no', async () => {
    const { io, input } = terminal();
    const sut = confirm(io, 'Go? [y/N]');
    input.end();

    await expect(sut).resolves.toBe(false);
  });

  it('says no when there is no input at all', async () => {
    await expect(
      confirm({ stdout: { write: () => true }, stderr: { write: () => true } }, 'Go?'),
    ).resolves.toBe(false);
  });
});
