import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites a jar in place with every entry stored, not deflated. A cold start reads a few
 * thousand classes out of the Lambda jar, and inflating them is about a tenth of the first
 * request's non-compiler CPU (docs/cold-start.md); the deployment zip compresses the jar again,
 * so only the unpacked size grows. The shade plugin has no option for it:
 *
 *   java tools/StoredJar.java functions/target/astra-functions.jar
 *
 * Entries keep their order, names, times and extra fields, so a reproducible jar stays
 * reproducible. A jar already stored is written again unchanged.
 */
public class StoredJar {

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java tools/StoredJar.java JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Path stored = jar.resolveSibling(jar.getFileName() + ".stored");
        try (ZipFile in = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(stored)))) {
            for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                // the copy constructor keeps the DOS time bits and extra fields exactly
                ZipEntry copy = new ZipEntry(entry);
                copy.setMethod(ZipEntry.STORED);
                copy.setCompressedSize(entry.getSize());
                out.putNextEntry(copy);
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        Files.move(stored, jar, StandardCopyOption.REPLACE_EXISTING);
    }
}
