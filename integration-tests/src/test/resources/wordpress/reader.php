<?php
// A page that boots WordPress on this node, which loads every active plugin: the test plugin "big" requires each of
// its files from its main file. Answers what it loaded as JSON. A file missing or half-written is a PHP fatal (500).
define('WP_USE_THEMES', false);
require __DIR__ . '/wp-load.php';
header('Content-Type: application/json');
echo json_encode([
    'main' => defined('BIG_VERSION') ? BIG_VERSION : null,
    'loaded' => array_count_values($GLOBALS['big_loaded'] ?? []),
    'active' => in_array('big/big.php', (array) get_option('active_plugins'), true),
]);
