import { createServer } from 'node:http';

export interface StaticServer {
  /** `http://127.0.0.1:<port>`: the page's origin. */
  readonly origin: string;
  close(): Promise<void>;
}

export interface StaticFile {
  readonly contentType: string;
  readonly body: string;
}

/** Serves fixed files by path on an ephemeral loopback port (the browser test's web app). */
export async function startStaticServer(
  files: Readonly<Record<string, StaticFile>>,
): Promise<StaticServer> {
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://localhost').pathname];
    if (file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.contentType }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no static server address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
