package com.astra.webhooks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md's table of settings is {@link SettingSpecs} written out: a setting added,
 * renamed or given another default in the code without the doc (or the other way round) fails
 * here. {@code -Dsettings.doc.write=true} rewrites the table from the spec.
 */
class SettingsDocTest {

    static final Path DOC = Path.of("..", "docs", "configuration.md");
    static final String BEGIN = "<!-- settings table: generated from config/SettingSpecs (SettingsDocTest) -->\n";
    static final String END = "<!-- end of settings table -->\n";

    @Test
    void theDocumentedTableIsTheSpec() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, DOC + " has no table between " + BEGIN.strip() + " and " + END.strip());
        String documented = doc.substring(begin + BEGIN.length(), end);
        String expected = table();
        if (!expected.equals(documented) && Boolean.getBoolean("settings.doc.write")) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length()) + expected + doc.substring(end),
                    StandardCharsets.UTF_8);
            return;
        }
        assertEquals(expected, documented, "docs/configuration.md's settings table differs from SettingSpecs; "
                + "run this test with -Dsettings.doc.write=true to rewrite it");
    }

    @Test
    void everySettingIsInTheTableOnce() {
        String table = table();
        for (SettingSpec spec : SettingSpecs.ALL) {
            assertEquals(1, table.split("\\| `" + spec.name() + "` \\|", -1).length - 1, spec.name());
        }
        assertEquals(SettingSpecs.ALL.size(), SettingSpecs.BY_NAME.size(), "names are unique");
        assertEquals(Settings.NAMES, SettingSpecs.BY_NAME.keySet());
    }

    static String table() {
        StringBuilder out = new StringBuilder();
        out.append("| variable | default | local runner | accepts | on AWS | meaning |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (SettingSpec s : SettingSpecs.ALL) {
            StringJoiner row = new StringJoiner(" | ", "| ", " |\n");
            row.add("`" + s.name() + "`");
            row.add(s.fallback() == null ? "none" : "`" + s.fallback() + "`");
            row.add(s.local() == null ? "—" : "`" + s.local() + "`");
            row.add(s.accepts());
            row.add(switch (s.deployed().source()) {
                case PARAMETER -> "parameter `" + s.deployed().ref() + "`";
                case FIXED -> "fixed in the template";
                case RESOURCE -> "the stack's `" + s.deployed().ref() + "`";
                case LAMBDA -> "set by Lambda";
                case NONE -> "not set: the default";
            });
            row.add(s.meaning());
            out.append(row);
        }
        return out.toString();
    }
}
