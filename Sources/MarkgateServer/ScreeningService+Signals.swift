import Dispatch
import Foundation

extension ScreeningService {
    /// Reloads on SIGHUP (as `POST /v1/admin/reload` does, without a token) until the returned source is
    /// cancelled; each outcome is logged.
    public func reloadOnHangup() -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "markgate.sighup"))
        source.setEventHandler { [self] in
            reload(trigger: "SIGHUP")
        }
        source.resume()
        return source
    }
}
