<?php
// Drives a real WordPress from the command line, as an admin's browser would through wp-admin.
// Usage: php wp-driver.php DOCROOT install URL
//        php wp-driver.php DOCROOT plugin-install ZIP [PAUSE_MS]
//            Plugin_Upgrader::install, replacing an installed copy; PAUSE_MS holds the upgrader that long between
//            deleting the old directory and copying the new one (WordPress's upgrader_clear_destination filter), as
//            a slow disk or a large plugin does.
//        php wp-driver.php DOCROOT activate PLUGIN_FILE
// Prints one JSON object; exits 1 on failure.
if ($argc < 4) {
    fwrite(STDERR, "usage: wp-driver.php DOCROOT install|plugin-install|activate ARG\n");
    exit(2);
}
[$script, $docroot, $command, $arg] = $argv;
$pause_ms = (int) ($argv[4] ?? 0);
if ($command === 'install') {
    define('WP_INSTALLING', true);
}
require $docroot . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';

function done(array $result): void {
    echo json_encode($result), "\n";
    exit(empty($result['ok']) ? 1 : 0);
}

switch ($command) {
    case 'install':
        require_once ABSPATH . 'wp-admin/includes/upgrade.php';
        $r = wp_install('peersync test', 'admin', 'admin@example.invalid', false, '', 'admin-password');
        done(['ok' => !empty($r['user_id']), 'user' => $r['user_id'] ?? null]);
    case 'plugin-install':
        wp_set_current_user(1);
        if ($pause_ms > 0) {
            add_filter('upgrader_clear_destination', function ($removed) use ($pause_ms) {
                usleep($pause_ms * 1000);
                return $removed;
            });
        }
        $upgrader = new Plugin_Upgrader(new Automatic_Upgrader_Skin());
        $start = microtime(true);
        $r = $upgrader->install($arg, ['overwrite_package' => true]);
        $end = microtime(true);
        done(['ok' => $r === true, 'error' => is_wp_error($r) ? $r->get_error_message() : null,
            'start' => $start, 'end' => $end, 'wp' => get_bloginfo('version'),
            'messages' => $upgrader->skin->get_upgrade_messages()]);
    case 'activate':
        wp_set_current_user(1);
        $r = activate_plugin($arg);
        done(['ok' => $r === null, 'error' => is_wp_error($r) ? $r->get_error_message() : null]);
    default:
        done(['ok' => false, 'error' => "unknown command $command"]);
}
