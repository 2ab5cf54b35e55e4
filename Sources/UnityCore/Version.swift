public enum UnityVersion { public static let current = "0.1.0" }
