package io.peersync.daemon.health;

import java.util.List;

/** The node's health as a load balancer sees it: {@code fit} when it has folders and every one is fit to serve. */
public record HealthReport(boolean fit, String reason, String checkedAt, List<FolderHealth> folders) {
}
