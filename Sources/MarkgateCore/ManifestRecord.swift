/// What a manifest reader yields for each record: a parcel, or the error that stood in its place.
public enum ManifestRecord: Sendable, Hashable {
    case parcel(Parcel, source: SourceLocation)
    case error(RecordError)
}
