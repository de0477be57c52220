import { execFileSync } from "child_process";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { SecureContext, createSecureContext } from "tls";

/**
 * A throw-away certificate authority for one rehearsal: the providers trust only it (SSL_CERT_FILE holds nothing
 * else), so a call that escaped the proxy could not complete a TLS handshake with a real Azure host. Each host name the
 * providers ask for gets its own certificate, minted on first use: a wildcard SAN covers one label only, and data-plane
 * names (`<account>.blob.core.windows.net`, `adb-<id>.<n>.azuredatabricks.net`) are not known in advance.
 * openssl is used because Node can parse but not issue X.509 certificates.
 */
export class TestCertificateAuthority {
  readonly certificateFile: string;
  private readonly leafKey: string;
  private readonly contexts = new Map<string, SecureContext>();
  private serial = 1;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    const key = join(dir, "ca.key");
    this.certificateFile = join(dir, "ca.crt");
    openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key]);
    openssl(["req", "-x509", "-new", "-key", key, "-sha256", "-days", "2", "-subj", "/CN=cdktf-medallion rehearsal CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", this.certificateFile]);
    this.leafKey = join(dir, "leaf.key");
    openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", this.leafKey]);
  }

  /** The TLS context for one host name (SNI), minted on first use. */
  contextFor(host: string): SecureContext {
    const name = host.toLowerCase();
    if (!/^[a-z0-9.-]{1,253}$/.test(name)) throw new Error(`refusing a certificate for the host name ${JSON.stringify(host)}`);
    let context = this.contexts.get(name);
    if (!context) {
      const csr = join(this.dir, `${name}.csr`);
      const ext = join(this.dir, `${name}.ext`);
      const crt = join(this.dir, `${name}.crt`);
      writeFileSync(ext, `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`);
      openssl(["req", "-new", "-key", this.leafKey, "-subj", `/CN=${name}`, "-out", csr]);
      openssl(["x509", "-req", "-in", csr, "-CA", this.certificateFile, "-CAkey", join(this.dir, "ca.key"), "-set_serial", String(this.serial++), "-days", "2", "-sha256", "-extfile", ext, "-out", crt]);
      context = createSecureContext({ key: readFileSync(this.leafKey), cert: readFileSync(crt) });
      this.contexts.set(name, context);
    }
    return context;
  }

  /** The default certificate, for a client that sends no SNI (none of the providers does that). */
  defaultContext(): { key: Buffer; cert: Buffer } {
    this.contextFor("management.azure.com");
    return { key: readFileSync(this.leafKey), cert: readFileSync(join(this.dir, "management.azure.com.crt")) };
  }
}

function openssl(args: string[]): void {
  execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
}
