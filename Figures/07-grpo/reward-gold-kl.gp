# GRPO on the reward model: reward-model score, gold score and KL to SFT of each batch
# Render from this directory: gnuplot reward-gold-kl.gp  (writes reward-gold-kl.png)
if (!exists("outfile")) outfile = 'reward-gold-kl.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'GRPO on the reward model: reward-model score, gold score and KL to SFT of each batch'
set xlabel 'GRPO step'
set ylabel 'score, or nats per answer'
set key top left box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'reward-gold-kl.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'reward-model score', \
     'reward-gold-kl.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'gold score', \
     'reward-gold-kl.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'KL to SFT (nats per answer)'
