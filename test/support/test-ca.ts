/**
 * A throwaway certificate authority and a server certificate for
 * "localhost" / 127.0.0.1 / ::1, made with openssl in a temporary directory.
 * Test servers (Prosody, ejabberd, the scripted server) present the leaf;
 * the client under test trusts only the CA, so certificate verification is
 * really exercised.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  caCertFile: string;
  caCertPem: string;
  /** Leaf certificate for localhost, signed by the CA. */
  certFile: string;
  certPem: string;
  keyFile: string;
  keyPem: string;
  /** Leaf certificate followed by its private key, the form ejabberd wants. */
  combinedFile: string;
}

let cached: TestCertificates | undefined;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Makes (once per process) a CA and a localhost certificate signed by it. */
export function testCertificates(): TestCertificates {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'balcony-ca-'));
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=Balcony Test CA',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-keyout',
      'localhost.key',
      '-out',
      'localhost.csr',
    ],
    dir,
  );
  writeFileSync(
    join(dir, 'ext.cnf'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n' + 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'localhost.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
      '-out',
      'localhost.crt',
    ],
    dir,
  );
  const certPem = readFileSync(join(dir, 'localhost.crt'), 'utf8');
  const keyPem = readFileSync(join(dir, 'localhost.key'), 'utf8');
  const combinedFile = join(dir, 'localhost.pem');
  writeFileSync(combinedFile, certPem + keyPem);
  cached = {
    dir,
    caCertFile: join(dir, 'ca.crt'),
    caCertPem: readFileSync(join(dir, 'ca.crt'), 'utf8'),
    certFile: join(dir, 'localhost.crt'),
    certPem,
    keyFile: join(dir, 'localhost.key'),
    keyPem,
    combinedFile,
  };
  return cached;
}

/** A leaf certificate signed by the test CA (the same one testCertificates() makes). */
export interface TestLeafCertificate {
  certFile: string;
  certPem: string;
  keyFile: string;
  keyPem: string;
  /** Certificate followed by its key (ejabberd's form). */
  combinedFile: string;
}

const leaves = new Map<string, TestLeafCertificate>();

/**
 * A certificate for exactly these DNS names (A-labels), nothing else: e.g.
 * only the JID's domain, or only an SRV target, to test whose name counts.
 */
export function certificateFor(names: string[]): TestLeafCertificate {
  const key = names.join(',');
  const known = leaves.get(key);
  if (known) return known;
  const { dir } = testCertificates();
  const base = `leaf-${leaves.size + 1}`;
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      `/CN=${names[0] ?? 'nobody'}`,
      '-keyout',
      `${base}.key`,
      '-out',
      `${base}.csr`,
    ],
    dir,
  );
  writeFileSync(
    join(dir, `${base}.cnf`),
    `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\n` +
      'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${base}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${base}.cnf`,
      '-out',
      `${base}.crt`,
    ],
    dir,
  );
  const certPem = readFileSync(join(dir, `${base}.crt`), 'utf8');
  const keyPem = readFileSync(join(dir, `${base}.key`), 'utf8');
  const combinedFile = join(dir, `${base}.pem`);
  writeFileSync(combinedFile, certPem + keyPem);
  const leaf = { certFile: join(dir, `${base}.crt`), certPem, keyFile: join(dir, `${base}.key`), keyPem, combinedFile };
  leaves.set(key, leaf);
  return leaf;
}
