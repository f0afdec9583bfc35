import Dispatch
import Foundation

extension ScreeningService {
    /// Reloads on SIGHUP (as `POST /v1/admin/reload` does, without a token, on a low-priority thread) until the
    /// returned source is cancelled; each outcome is logged.
    public func reloadOnHangup() -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "markgate.sighup"))
        source.setEventHandler { [self] in
            // One reload at a time, as signals arrive: the handler's serial queue waits for each.
            let done = DispatchSemaphore(value: 0)
            BackgroundThread.start {
                _ = self.reload(trigger: "SIGHUP")
                done.signal()
            }
            done.wait()
        }
        source.resume()
        return source
    }
}
