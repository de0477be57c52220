import { IncomingMessage, RequestListener, createServer as createHttpServer } from "http";
import { createServer as createHttpsServer } from "https";
import { AddressInfo, Socket } from "net";
import { TestCertificateAuthority } from "./tls";

/** One run's way out: the proxy URL for HTTPS_PROXY, and what its tunnels named. */
export interface RunProxy {
  readonly url: string;
  readonly tunnels: ReadonlySet<string>;
  close(): Promise<void>;
}

/**
 * The providers' only way out: an HTTP CONNECT proxy on loopback that hands every tunnel, whatever host it names, to
 * the in-process emulator's TLS server. Nothing is ever forwarded off the machine — the proxy opens no outbound
 * connection at all — and plain (non-CONNECT) proxy requests are refused. Every Go HTTP client in the providers uses
 * http.ProxyFromEnvironment (rehearsal trial, §1), so HTTPS_PROXY reaches all of them with the real host names.
 * Each terraform run gets a proxy of its own, so every call is attributed to the run that made it.
 */
export async function openRunProxy(ca: TestCertificateAuthority, handler: RequestListener): Promise<RunProxy> {
  const tlsServer = createHttpsServer(
    {
      ...ca.defaultContext(),
      SNICallback: (name, done) => {
        try {
          done(null, ca.contextFor(name));
        } catch (error) {
          done(error as Error, undefined);
        }
      },
    },
    handler,
  );
  const tunnels = new Set<string>();
  const sockets = new Set<Socket>();
  const proxy = createHttpServer((_req, res) => {
    res.writeHead(403, { "content-type": "text/plain" }).end("the rehearsal proxy only tunnels (CONNECT) to its emulator\n");
  });
  proxy.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    tunnels.add(String(req.url));
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) socket.unshift(head);
    tlsServer.emit("connection", socket);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    tunnels,
    close: async () => {
      for (const s of sockets) s.destroy();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    },
  };
}
