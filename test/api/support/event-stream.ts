import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorTestApp, SignedIn } from './emulator-app';

/** Reads a server-sent event stream to its end with the session cookie, as EventSource would. */
export async function readEventStream(
  env: EmulatorTestApp,
  path: string,
  cookie: string,
): Promise<{ status: number; type: string; data: unknown[] }> {
  const server = env.http as http.Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path, headers: { cookie, accept: 'text/event-stream' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const data = text
            .split('\n\n')
            .flatMap((block) => block.split('\n').filter((line) => line.startsWith('data: ')))
            .map((line) => JSON.parse(line.slice('data: '.length)) as unknown);
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), data });
        });
      },
    );
    req.on('error', reject);
    req.setTimeout(60_000, () => req.destroy(new Error('the event stream did not end')));
  });
}

/** The session cookie of a signed-in agent, for requests made outside supertest. */
export function cookieOf(session: SignedIn): string {
  const jar = (
    session.agent as unknown as { jar: { getCookies(o: object): Array<{ name: string; value: string }> } }
  ).jar;
  return jar
    .getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false })
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
}
