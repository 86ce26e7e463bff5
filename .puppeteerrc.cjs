// Chromium comes from Debian (/usr/bin/chromium); puppeteer's own download cannot work here.
module.exports = { skipDownload: true };
