package io.peersync.it;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code peersync status --json} as the contract defines it; fields beyond the contract are ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Status(Node node, List<Folder> folders) {

    /** This node. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Node(String id, String listen) {
    }

    /** One shared folder. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Folder(String id, String path, String access, String state, long localFiles, long localBytes,
                         long globalFiles, long globalBytes, long needFiles, long needBytes, boolean inSync,
                         String error, List<Peer> peers) {

        /** One line for progress logs and failure messages. */
        public String summary() {
            return state + (inSync ? ", in sync" : ", not in sync") + ", local " + localFiles + " files/"
                    + localBytes + " B, global " + globalFiles + "/" + globalBytes + " B, need " + needFiles + "/"
                    + needBytes + " B" + (error == null ? "" : ", error: " + error) + ", peers "
                    + (peers == null ? "none" : peers.stream()
                            .map(p -> shortId(p.node()) + "@" + p.address() + (p.connected() ? "" : " (down)"))
                            .collect(Collectors.joining(", ", "[", "]")));
        }
    }

    /** A peer sharing a folder. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Peer(String node, String address, boolean connected) {
    }

    /** The folder with this id, if the node shares it. */
    public Optional<Folder> folder(String id) {
        return folders == null ? Optional.empty() : folders.stream().filter(f -> id.equals(f.id())).findFirst();
    }

    static String shortId(String nodeId) {
        return nodeId == null ? "?" : nodeId.substring(0, Math.min(7, nodeId.length()));
    }
}
