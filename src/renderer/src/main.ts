import { mount } from 'svelte'
import '@fontsource/inter/400.css'
import '@fontsource/inter/500.css'
import '@fontsource/inter/600.css'
import '@fontsource/noto-serif/400.css'
import '@fontsource/noto-serif/400-italic.css'
import '@fontsource/noto-serif/600.css'
import '@fontsource/noto-serif/700.css'
import './styles/app.css'
import App from './App.svelte'

const target = document.getElementById('app')
if (!target) throw new Error('The page has no #app element to mount Stance into.')
mount(App, { target })
