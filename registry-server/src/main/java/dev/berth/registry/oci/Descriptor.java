package dev.berth.registry.oci;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** An OCI content descriptor, as listed in an image index or a referrers response. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Descriptor(String mediaType, String digest, long size, String artifactType, Map<String, String> annotations) {}
