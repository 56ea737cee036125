// A receiver's v1a check in plain Node (node:crypto, nothing installed), run by the Java
// integration tests (NodeVerifier) on the deliveries they receive. Reads a JSON array of
// {publicKey, id, timestamp, body, signature} from stdin and prints a JSON array of booleans:
// true when some v1a signature in the header verifies with the whpk_ public key.
import { createPublicKey, verify } from "node:crypto";

function verifies({ publicKey, id, timestamp, body, signature }) {
  const raw = Buffer.from(publicKey.replace(/^whpk_/, ""), "base64");
  const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") }, format: "jwk" });
  const signed = Buffer.from(`${id}.${timestamp}.${body}`, "utf8");
  return signature.split(" ").some((entry) => {
    const [version, value] = entry.split(",", 2);
    return version === "v1a" && value !== undefined && verify(null, signed, key, Buffer.from(value, "base64"));
  });
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => process.stdout.write(JSON.stringify(JSON.parse(input).map(verifies))));
