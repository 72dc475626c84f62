<?php
// Called by the after-sync hook: drops every script PHP's opcache holds, so the next request compiles what sync
// just put in place (with opcache.validate_timestamps=0 PHP never looks at the files again by itself).
echo function_exists('opcache_reset') && opcache_reset() ? 'reset' : 'no opcache';
