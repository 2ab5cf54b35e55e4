/// The version reported by `/metrics` (`unity_build_info`), `/healthz` and the OpenAPI document.
public enum UnityVersion {
    public static let current = "0.1.0"
}
