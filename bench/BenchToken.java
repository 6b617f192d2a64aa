import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Token plumbing for bench/gateway.sh's /jwt route (JDK only): makes an RSA 2048 key, writes its public JWKS
 * ({@code jwks.json}, served by the upstream nginx for JwtAuth's jwksUri) and an RS256 access token
 * ({@code token.txt}, iss and aud "bench", valid for a day) into the given directory.
 *
 * <pre>java bench/BenchToken.java /tmp/dir</pre>
 */
public final class BenchToken {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : ".");
    Files.createDirectories(dir);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair pair = g.generateKeyPair();
    RSAPublicKey pub = (RSAPublicKey) pair.getPublic();
    String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"bench-1\",\"alg\":\"RS256\",\"use\":\"sig\",\"n\":\"" + b64(unsigned(pub.getModulus()))
      + "\",\"e\":\"" + b64(unsigned(pub.getPublicExponent())) + "\"}]}";
    long now = System.currentTimeMillis() / 1000;
    String header = "{\"alg\":\"RS256\",\"kid\":\"bench-1\",\"typ\":\"JWT\"}";
    String claims = "{\"iss\":\"bench\",\"aud\":\"bench\",\"sub\":\"bench-user\",\"iat\":" + now + ",\"nbf\":" + now
      + ",\"exp\":" + (now + 86_400) + ",\"roles\":[\"bench\"],\"scope\":\"bench\"}";
    String input = b64(header.getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(pair.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    Files.writeString(dir.resolve("jwks.json"), jwks);
    Files.writeString(dir.resolve("token.txt"), input + "." + b64(s.sign()));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
  }
}
