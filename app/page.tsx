export default function Home() {
  return <main>Syncdeck</main>;
}
