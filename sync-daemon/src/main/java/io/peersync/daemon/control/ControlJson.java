package io.peersync.daemon.control;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;

/** The one JSON mapping of the control API, shared by the daemon's server and the CLI's client. */
public final class ControlJson {

    private ControlJson() {
    }

    /** A mapper that writes the views with the contract's field names and tolerates fields it does not know. */
    public static ObjectMapper mapper() {
        return JsonMapper.builder()
                .addMixIn(PeerView.class, PeerViewNames.class)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .build();
    }

    /** Body of {@code POST /v1/folders}. */
    public record AddFolderRequest(String path, String secret, String preset) {
    }

    /** Body of {@code POST /v1/folders/remove}. */
    public record RemoveFolderRequest(String folder) {
    }

    /** Body of {@code POST /v1/peers}. */
    public record AddPeerRequest(String address) {
    }

    /** Body of {@code POST /v1/versions}. */
    public record RescanRequest(String folder, String path) {
    }

    public record VersionsRequest(String folder, String path) {
    }

    /** Body of {@code POST /v1/restore}; {@code at} may be null for the newest version. */
    public record RestoreRequest(String folder, String path, String at) {
    }

    /** Body of every non-2xx answer. */
    /** Body of {@code POST /v1/folders/settings}: null fields stay as they are. */
    public record FolderSettingsRequest(String folder, String hook, Boolean clearHook, Integer keepVersions,
                                        Integer keepDays, String owner, String group, String minFree) {
    }

    public record ErrorBody(String error) {
    }

    /** Renames {@link PeerView#isStatic()} to the contract's {@code "static"} in both directions. */
    abstract static class PeerViewNames {
        @JsonCreator
        PeerViewNames(@JsonProperty("address") String address, @JsonProperty("node") String node,
                      @JsonProperty("connected") boolean connected, @JsonProperty("static") boolean isStatic,
                      @JsonProperty("folders") List<String> folders) {
        }

        @JsonProperty("static")
        abstract boolean isStatic();
    }
}
