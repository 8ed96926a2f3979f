import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import http2, {
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import net, { type Socket } from 'node:net';
import { Duplex } from 'node:stream';

export type Handler = (
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
) => void;

/** The HTTP/2 client connection preface starts with these bytes (RFC 9113, 3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0');

export interface TlsFiles {
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** The server object Fastify drives (listen, close) plus the connection-closing hooks it calls. */
export type DualProtocolServer = net.Server & {
  closeIdleConnections(): void;
  closeAllConnections(): void;
  closeHttp2Sessions(): void;
};

/**
 * One port for every protocol: gRPC needs HTTP/2, curl and browsers' Connect calls use HTTP/1.1.
 * With TLS, ALPN picks the protocol (an HTTP/2 secure server with `allowHTTP1`). Without TLS
 * there is no ALPN, so the first bytes decide: the HTTP/2 preface goes to an h2c server (gRPC
 * with prior knowledge, as gRPC clients do), anything else to an HTTP/1.1 server.
 */
export function createDualProtocolServer(handler: Handler, tls?: TlsFiles): DualProtocolServer {
  const sessions = new Set<Http2Session>();
  const trackSessions = (server: http2.Http2Server | http2.Http2SecureServer) =>
    server.on('session', (session: Http2Session) => {
      sessions.add(session);
      session.once('close', () => sessions.delete(session));
    });
  const closeSessions = () => {
    for (const session of sessions) session.close();
  };
  const destroySessions = () => {
    for (const session of sessions) session.destroy();
  };

  if (tls !== undefined) {
    const secure = http2.createSecureServer(
      { allowHTTP1: true, cert: tls.cert, key: tls.key },
      handler,
    );
    trackSessions(secure);
    // HTTP/1.1 sockets of a secure HTTP/2 server are not tracked by Node: track them here.
    const sockets = new Set<Socket>();
    secure.on('secureConnection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    return Object.assign(secure as unknown as net.Server, {
      closeIdleConnections: closeSessions,
      closeAllConnections: () => {
        destroySessions();
        for (const socket of sockets) socket.destroy();
      },
      closeHttp2Sessions: closeSessions,
    });
  }

  const h1 = http.createServer(
    handler as (request: IncomingMessage, response: ServerResponse) => void,
  );
  // An HTTP/1.1 server that never listens itself does not track its connections (Node starts
  // that on 'listening'), so closeIdleConnections would do nothing: track them here.
  const h1Sockets = new Set<Socket>();
  const busy = new Set<Socket>();
  let closing = false;
  h1.on('connection', (socket: Socket) => {
    h1Sockets.add(socket);
    socket.once('close', () => {
      h1Sockets.delete(socket);
      busy.delete(socket);
    });
  });
  h1.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    busy.add(socket);
    response.once('close', () => {
      busy.delete(socket);
      if (closing) socket.destroy();
    });
  });
  const h2 = http2.createServer(
    handler as (request: Http2ServerRequest, response: Http2ServerResponse) => void,
  );
  trackSessions(h2);
  const listener = net.createServer((socket) => {
    socket.once('error', () => socket.destroy());
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const compared = Math.min(received.length, PREFACE.length);
      const isHttp2 = received.subarray(0, compared).equals(PREFACE.subarray(0, compared));
      if (isHttp2 && received.length < PREFACE.length) return; // need more bytes to decide
      socket.off('data', onData);
      if (isHttp2) {
        h2.emit('connection', replay(socket, received));
        return;
      }
      socket.pause();
      socket.unshift(received);
      h1.emit('connection', socket);
      socket.resume();
    };
    socket.on('data', onData);
  });
  return Object.assign(listener, {
    /** Idle connections close now, busy ones once their response is done. */
    closeIdleConnections: () => {
      closing = true;
      for (const socket of h1Sockets) if (!busy.has(socket)) socket.destroy();
      closeSessions();
    },
    closeAllConnections: () => {
      for (const socket of h1Sockets) socket.destroy();
      destroySessions();
    },
    closeHttp2Sessions: closeSessions,
  });
}

/**
 * The socket as a stream that first replays the bytes read to sniff the protocol. Node's HTTP/2
 * session reads a net socket's native handle directly, so bytes pushed back with `unshift`
 * would be lost to it; a plain Duplex makes it read through JavaScript instead.
 */
function replay(socket: Socket, head: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => {
      socket.resume();
    },
    write: (chunk: Buffer, _encoding, callback) => {
      socket.write(chunk, callback);
    },
    final: (callback) => {
      socket.end(callback);
    },
    destroy: (error, callback) => {
      socket.destroy(error ?? undefined);
      callback(error);
    },
  });
  duplex.push(head);
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.once('end', () => duplex.push(null));
  socket.once('close', () => duplex.destroy());
  socket.on('error', (error) => duplex.destroy(error));
  return duplex;
}
