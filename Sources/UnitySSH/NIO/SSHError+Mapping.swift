import NIOCore
import NIOPosix
import NIOSSH

extension SSHError {
    /// Maps NIO and swift-nio-ssh errors onto Unity's error model. Unknown errors keep only their
    /// type name so no remote-controlled text leaks into messages.
    static func from(_ error: any Error) -> SSHError {
        switch error {
        case let error as SSHError:
            return error
        case is CancellationError:
            return .cancelled
        case let error as NIOSSHError:
            switch error.type {
            case .keyExchangeNegotiationFailure: return .hostRequiresRSA
            case .channelSetupRejected: return .channelLimit
            case .creatingChannelAfterClosure, .tcpShutdown: return .connectionClosed
            default: return .transport("ssh protocol error \(error.type)")
            }
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return .connectTimeout
            case .ioOnClosedChannel, .alreadyClosed, .eof, .outputClosed, .inputClosed: return .connectionClosed
            default: return .transport("channel error \(error)")
            }
        case is ChannelPipelineError:
            // The nio-ssh child channel vanished under us: the connection went away.
            return .connectionClosed
        case let error as NIOConnectionError:
            if error.connectionErrors.contains(where: { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }) {
                return .connectFailed("connection refused")
            }
            return .connectFailed("no address reachable")
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: return .connectFailed("connection refused")
            case ECONNRESET, EPIPE: return .connectionClosed
            case ETIMEDOUT: return .connectTimeout
            default: return .connectFailed("I/O error \(error.errnoCode)")
            }
        default:
            return .transport("\(type(of: error))")
        }
    }
}
