package io.peersync.daemon.ignore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The shipped presets; paths are relative to the synced folder (for WordPress: wp-content). */
class IgnorePresetsTest {
    private static final IgnoreRules WORDPRESS = IgnoreRules.parse(Presets.text("wordpress").orElseThrow());

    @Test
    void listsTheWordPressPreset() {
        assertEquals(Set.of("wordpress"), Presets.names());
        assertEquals(Optional.empty(), Presets.text("drupal"));
    }

    @Test
    void wordPressPresetParsesCleanly() {
        assertEquals(List.of(), WORDPRESS.problems());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "upgrade/foo.zip",
        "upgrade-temp-backup/plugins/akismet/akismet.php",
        "cache/page.html",
        "cache/wp-rocket/example.com/index.html",
        "debug.log",
        "updraft/backup.zip",
        "ai1wm-backups/site.wpress",
        "wpvividbackups/site.zip",
        "backups-dup-lite/site_archive.zip",
        "backups-dup-pro/site_archive.zip",
        "uploads/backwpup-abc123-backups/site.zip",
        "uploads/backwpup-abc123-logs/log.html",
        "uploads/backupbuddy_backups/site.zip",
        "backupwordpress-0123abcd-backups/site.zip",
        "backup-db/db.sql",
        "backups/site.tar.gz",
        "uploads/wc-logs/fatal-errors-2024-01-01.log",
        "wflogs/config-transient.php",
        "litespeed/css/a.css",
        "et-cache/1/et-core-unified.min.css",
        "wphb-cache/gravatar/a.png",
        "plugins/some-plugin/error.log",
        "uploads/2024/01/upload.tmp",
        "themes/mytheme/.functions.php.swp",
        "themes/mytheme/style.css~",
        ".DS_Store",
        "uploads/2024/01/Thumbs.db",
        "uploads/2024/01/a.jpg",
        "uploads/woocommerce_uploads/product.zip"})
    void wordPressPresetIgnoresPerNodeFiles(String path) {
        assertTrue(WORDPRESS.isIgnored(path, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "plugins/akismet/akismet.php",
        "themes/twentytwentyfour/style.css",
        "uploads/elementor/css/post-1.css",
        "plugins/some-plugin/cache/helper.php",
        "plugins/some-plugin/upgrade/routine.php",
        "mu-plugins/loader.php",
        "languages/de_DE.mo",
        "fonts/inter/inter.woff2",
        "object-cache.php",
        "advanced-cache.php",
        "w3tc-config/master.php",
        "wp-rocket-config/example.com.php",
        "wphb-cache/wphb-cache.php",
        ".peersyncignore",
        "index.php"})
    void wordPressPresetSyncsSharedFiles(String path) {
        assertFalse(WORDPRESS.isIgnored(path, false));
    }
}
