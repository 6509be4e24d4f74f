"""What the public site shows, as pure functions of the column: post HTML, JSON-LD, JSON Feed,
SEO tags, navigation, the chart, search records, the archive, redirects, headers and the
final feed entry. No Pelican: the plugin calls these and writes what they return.
"""
